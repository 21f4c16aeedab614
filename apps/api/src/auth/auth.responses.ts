import { ApiProperty } from '@nestjs/swagger';
import {
  ROLES,
  type ApiTokenSummary,
  type ApiTokensResponse,
  type CreatedApiToken,
  type CurrentUser,
  type LoginResponse,
  type MeResponse,
  type Role,
  type UserSummary,
  type UsersResponse,
} from '@mt/contracts';
import { DATE_TIME, literals } from '../common/api-schema';

/** The OpenAPI shapes of `libs/contracts/src/auth.ts` (see common/api-schema.ts). */

const ID = { description: 'a number, as a string', example: '42' };

export class CurrentUserSchema implements CurrentUser {
  @ApiProperty(ID)
  id!: string;

  @ApiProperty({ example: 'ana@mtink.example' })
  email!: string;

  @ApiProperty({ example: 'Ana' })
  name!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;
}

export class LoginResponseSchema implements LoginResponse {
  @ApiProperty({ type: CurrentUserSchema })
  user!: CurrentUser;

  @ApiProperty({ ...DATE_TIME, description: 'when the session ends; the session itself is in the cookie' })
  expiresAt!: string;
}

type Via = MeResponse['via'];

export class MeResponseSchema implements MeResponse {
  @ApiProperty({ type: CurrentUserSchema })
  user!: CurrentUser;

  @ApiProperty({ enum: literals<Via>({ session: true, token: true }), description: 'how this request authenticated' })
  via!: Via;
}

export class UserSummarySchema extends CurrentUserSchema implements UserSummary {
  @ApiProperty(DATE_TIME)
  createdAt!: string;
}

export class UsersResponseSchema implements UsersResponse {
  @ApiProperty({ type: [UserSummarySchema] })
  users!: UserSummary[];
}

export class ApiTokenSummarySchema implements ApiTokenSummary {
  @ApiProperty(ID)
  id!: string;

  @ApiProperty({ example: 'nightly export script' })
  name!: string;

  @ApiProperty({ ...ID, description: "the user the token acts as, with that user's current role" })
  userId!: string;

  @ApiProperty()
  userEmail!: string;

  @ApiProperty(DATE_TIME)
  createdAt!: string;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  lastUsedAt!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  revokedAt!: string | null;
}

export class ApiTokensResponseSchema implements ApiTokensResponse {
  @ApiProperty({ type: [ApiTokenSummarySchema] })
  tokens!: ApiTokenSummary[];
}

export class CreatedApiTokenSchema implements CreatedApiToken {
  @ApiProperty({ type: ApiTokenSummarySchema })
  token!: ApiTokenSummary;

  @ApiProperty({ description: 'shown in this response only; send it as Authorization: Bearer <secret>' })
  secret!: string;
}
