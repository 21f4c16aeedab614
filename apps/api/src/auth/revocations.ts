import { Injectable } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';

/** A credential (SHA-256 of a session or token secret) or a whole user that no longer signs anyone in. */
export type Revocation = { credentialHash: string } | { userId: string };

/**
 * HTTP requests are checked against the database every time, so a revocation holds for them at once;
 * open Socket.IO connections were checked at the handshake only. The gateway listens here and drops
 * the connections that a logout, a revoked token or a removed user leaves without credentials.
 */
@Injectable()
export class Revocations {
  private readonly subject = new Subject<Revocation>();

  readonly revoked$: Observable<Revocation> = this.subject.asObservable();

  revoke(revocation: Revocation): void {
    this.subject.next(revocation);
  }
}
