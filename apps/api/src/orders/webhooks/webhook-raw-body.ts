import express from 'express';

/** Where the webhook controller answers (global prefix `api` + controller path `webhooks`). */
export const WEBHOOKS_PATH = '/api/webhooks';

/**
 * Keeps webhook bodies as the bytes that were sent, whatever their content type, so that the signature
 * is checked before anything is parsed (SPEC §4): with the app's JSON parser first, a malformed body
 * was refused as 400 before its signature was ever looked at. Mounted ahead of the JSON and form
 * parsers, which then find the body read and leave it alone. The same 2 MB limit as JSON bodies.
 */
export const webhookRawBody = express.raw({ type: () => true, limit: '2mb' });

/** The bytes `webhookRawBody` kept; undefined for a request without a body. */
export function rawBodyOf(req: express.Request): Buffer | undefined {
  return Buffer.isBuffer(req.body) ? req.body : undefined;
}
