/**
 * Whether PostgreSQL refused the data itself (SQLSTATE class 22 data exception, 23 integrity
 * violation): sending the same rows again fails again, while other rows may land. Anything else (no
 * connection within the timeout, a cancelled statement, a deadlock, the server going away) says
 * nothing about the rows and may pass on a retry.
 */
export function isRefusedData(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
}

/**
 * Whether the failure is the database being unavailable or busy for now (no connection within the
 * pool's timeout, refused or lost connections, cancelled statements, deadlocks, too many clients):
 * a retry a little later may pass, so callers that can say "retry" (a webhook's 503) should.
 */
export function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return /^(08|40|53|57)/.test(code) || ['ECONNREFUSED', 'ECONNRESET'].includes(code);
  return error instanceof Error && /timeout exceeded when trying to connect|Connection terminated/i.test(error.message);
}
