/**
 * Response and request shapes shared by the API (controller return types) and the dashboard
 * (`http.get<T>()`). One file per feature; this index re-exports them.
 */
export * from './common';
export * from './health';
export * from './events';
export * from './live-hero';
export * from './upload';
export * from './spotify';
export * from './ingestion';
export * from './analytics';
export * from './alerts';
export * from './goals';
export * from './fx';
export * from './auth';
export * from './sign-in';
export * from './titles';
export * from './order-messages';
export * from './push';
