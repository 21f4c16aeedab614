import { Injectable } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';

/** A credential (SHA-256 of a session or token secret) or a whole user that no longer signs anyone in. */
export type Revocation = { credentialHash: string } | { userId: string };

/**
 * Where sign-in changes are announced, after they are committed. The principal cache forgets what
 * they make wrong (on every instance); open Socket.IO connections were checked at the handshake only,
 * so the gateway drops the ones a logout, a revoked token or a removed user leaves without credentials.
 */
@Injectable()
export class Revocations {
  private readonly subject = new Subject<Revocation>();
  private readonly roles = new Subject<{ userId: string }>();

  readonly revoked$: Observable<Revocation> = this.subject.asObservable();
  /** A user's role changed: their credentials still hold, but who they are is different. */
  readonly roleChanged$: Observable<{ userId: string }> = this.roles.asObservable();

  revoke(revocation: Revocation): void {
    this.subject.next(revocation);
  }

  roleChanged(userId: string): void {
    this.roles.next({ userId });
  }
}
