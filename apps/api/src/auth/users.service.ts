import { ConflictException, Injectable, Logger, NotFoundException, OnApplicationBootstrap } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import { randomBytes } from 'node:crypto';
import type { InviteUserRequest, Role, UserSummary } from '@mt/contracts';
import { AppConfig } from '../config/app-config';
import { AuthRepository, UserRow } from './auth.repository';
import { PASSWORD_COST } from './auth.service';
import { Revocations } from './revocations';

export const DEMO_ADMIN_EMAIL = 'admin@mtink.local';

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly repository: AuthRepository,
    private readonly config: AppConfig,
    private readonly revocations: Revocations,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureFirstAdmin();
  }

  /**
   * ADMIN_EMAIL/ADMIN_PASSWORD make that account an admin with that password on every start (so an
   * operator can recover access by restarting with a new password). Without them, a demo start with
   * no users creates an admin with a random password, printed this once: only the instance whose
   * insert won logs it.
   */
  async ensureFirstAdmin(): Promise<void> {
    const { adminEmail, adminPassword } = this.config;
    if (adminEmail && adminPassword) {
      const existing = await this.repository.findUserByEmail(adminEmail);
      if (!existing) {
        const created = await this.repository.insertUser({
          email: adminEmail,
          name: 'Admin',
          role: 'admin',
          passwordHash: await hash(adminPassword),
        });
        if (created) this.logger.log(`created admin ${adminEmail} from ADMIN_EMAIL`);
        return;
      }
      if (existing.role !== 'admin' || !(await bcrypt.compare(adminPassword, existing.passwordHash))) {
        await this.repository.setPasswordAndRole(existing.id, await hash(adminPassword), 'admin');
        this.logger.log(`reset admin ${adminEmail} from ADMIN_EMAIL/ADMIN_PASSWORD`);
      }
      return;
    }
    if (!this.config.demoData || (await this.repository.countUsers()) > 0) return;
    const password = randomBytes(12).toString('base64url');
    const created = await this.repository.insertUser({
      email: DEMO_ADMIN_EMAIL,
      name: 'Demo admin',
      role: 'admin',
      passwordHash: await hash(password),
    });
    // The one place a password is ever logged, as SPEC §7 asks; it exists nowhere else.
    if (created)
      this.logger.log(
        `Open http://localhost:${this.config.port} and sign in as ${DEMO_ADMIN_EMAIL} with password ${password} (shown once; set ADMIN_EMAIL/ADMIN_PASSWORD to choose)`,
      );
  }

  async list(): Promise<UserSummary[]> {
    return (await this.repository.listUsers()).map(toUserSummary);
  }

  async invite(request: InviteUserRequest): Promise<UserSummary> {
    const created = await this.repository.insertUser({
      email: request.email.trim(),
      name: request.name?.trim() ?? '',
      role: request.role,
      passwordHash: await hash(request.password),
    });
    if (!created) throw new ConflictException(`a user with e-mail ${request.email} exists`);
    return toUserSummary(created);
  }

  async changeRole(id: string, role: Role): Promise<UserSummary> {
    const result = await this.repository.changeRole(id, role);
    if (result === 'missing') throw new NotFoundException(`no user ${id}`);
    if (result === 'last-admin') throw new ConflictException('the last admin cannot be demoted');
    this.revocations.roleChanged(id);
    return toUserSummary(result);
  }

  async remove(id: string): Promise<void> {
    const result = await this.repository.deleteUser(id);
    if (result === 'missing') throw new NotFoundException(`no user ${id}`);
    if (result === 'last-admin') throw new ConflictException('the last admin cannot be removed');
    this.revocations.revoke({ userId: id });
  }
}

export function hash(password: string): Promise<string> {
  return bcrypt.hash(password, PASSWORD_COST);
}

function toUserSummary(user: UserRow): UserSummary {
  return { id: user.id, email: user.email, name: user.name, role: user.role, createdAt: user.createdAt.toISOString() };
}
