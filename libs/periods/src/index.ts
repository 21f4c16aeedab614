/**
 * Date windows in the business time zone (SPEC §2), shared by the API and the dashboard. Pure functions
 * of `now` and an IANA zone; no Node-only APIs.
 */
export * from './zoned-time';
export * from './windows';
