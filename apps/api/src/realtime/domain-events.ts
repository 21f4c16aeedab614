import { Injectable } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import type { ClientEventMap, ClientEventName } from '@mt/contracts';

export interface DomainEvent<K extends ClientEventName = ClientEventName> {
  name: K;
  payload: ClientEventMap[K];
}

/**
 * The in-process bus between the services that change data and the Socket.IO gateway. Publish only
 * after the transaction committed, once per change.
 */
@Injectable()
export class DomainEvents {
  private readonly subject = new Subject<DomainEvent>();

  readonly events$: Observable<DomainEvent> = this.subject.asObservable();

  publish<K extends ClientEventName>(name: K, payload: ClientEventMap[K]): void {
    this.subject.next({ name, payload } as DomainEvent);
  }
}
