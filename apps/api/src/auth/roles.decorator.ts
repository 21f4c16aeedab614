import { SetMetadata } from '@nestjs/common';
import type { Role } from '@mt/contracts';

export const ROLES_KEY = 'roles';

/** Only principals with one of these roles pass the global guard; others get 403. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** SPEC §7: uploads, imports, settings, users, tokens and alert rules are for admins only. */
export const AdminOnly = () => Roles('admin');
