import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { UserSummary, UsersResponse } from '@mt/contracts';
import { IdParamDto } from '../common/validation';
import { ApiSignedIn } from './api-auth';
import { ChangeRoleDto, InviteUserDto } from './auth.dto';
import { UserSummarySchema, UsersResponseSchema } from './auth.responses';
import { AdminOnly } from './roles.decorator';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiSignedIn()
@AdminOnly()
@ApiForbiddenResponse({ description: 'admins only' })
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOkResponse({ type: UsersResponseSchema, description: 'every user, by e-mail' })
  async list(): Promise<UsersResponse> {
    return { users: await this.users.list() };
  }

  @Post()
  @ApiCreatedResponse({ type: UserSummarySchema, description: 'the user, who can sign in with the given password' })
  @ApiConflictResponse({ description: 'the e-mail is taken' })
  invite(@Body() body: InviteUserDto): Promise<UserSummary> {
    return this.users.invite(body);
  }

  /** Takes effect with the user's next request (roles are read per request). */
  @Patch(':id')
  @ApiOkResponse({ type: UserSummarySchema, description: 'the user with the new role' })
  @ApiConflictResponse({ description: 'the last admin cannot be demoted' })
  changeRole(@Param() params: IdParamDto, @Body() body: ChangeRoleDto): Promise<UserSummary> {
    return this.users.changeRole(params.id, body.role);
  }

  /** Ends the user's sessions and revokes their tokens. */
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'removed' })
  @ApiConflictResponse({ description: 'the last admin cannot be removed' })
  remove(@Param() params: IdParamDto): Promise<void> {
    return this.users.remove(params.id);
  }
}
