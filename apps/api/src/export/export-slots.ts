import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';

/**
 * How many exports run at once on this instance, in all and per user (EXPORTS_MAX, EXPORTS_PER_USER).
 * An export holds a connection of the export pool as long as its client reads, so a slow reader must
 * not be able to start more than its share, and nobody more than the pool has: one over is refused at
 * once with 429, saying which limit is full, instead of waiting for a connection.
 */
@Injectable()
export class ExportSlots {
  private readonly byUser = new Map<string, number>();
  private running = 0;

  constructor(private readonly config: AppConfig) {}

  /** Takes a slot for `userId`, or throws 429; call the returned function once the export has ended. */
  take(userId: string): () => void {
    const { perUser, total } = this.config.exportLimits;
    const mine = this.byUser.get(userId) ?? 0;
    if (mine >= perUser)
      throw new HttpException(
        `you have ${mine} exports running, the most one person may run at once; wait for one to finish`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    if (this.running >= total)
      throw new HttpException(
        `${this.running} exports are running, the most this server runs at once; try again when one has finished`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    this.byUser.set(userId, mine + 1);
    this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      const left = (this.byUser.get(userId) ?? 1) - 1;
      if (left > 0) this.byUser.set(userId, left);
      else this.byUser.delete(userId);
    };
  }

  /** Exports running now (health's detail). */
  get inUse(): number {
    return this.running;
  }
}
