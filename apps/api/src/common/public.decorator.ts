import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'isPublic';

/** Opts a route out of the global authentication guard: health, webhooks and login only. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
