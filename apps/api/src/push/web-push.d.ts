/** The part of `web-push` (which ships no types) that the push module uses. */
declare module 'web-push' {
  export interface PushSubscriptionJson {
    endpoint: string;
    keys: { p256dh: string; auth: string };
  }
  export interface RequestOptions {
    vapidDetails: { subject: string; publicKey: string; privateKey: string };
    TTL?: number;
    urgency?: 'very-low' | 'low' | 'normal' | 'high';
    topic?: string;
    contentEncoding?: 'aes128gcm' | 'aesgcm';
  }
  export interface RequestDetails {
    method: 'POST';
    headers: Record<string, string | number>;
    body: Buffer | null;
    endpoint: string;
  }
  const webpush: {
    generateVAPIDKeys(): { publicKey: string; privateKey: string };
    generateRequestDetails(
      subscription: PushSubscriptionJson,
      payload: string | Buffer | null,
      options: RequestOptions,
    ): RequestDetails;
  };
  export default webpush;
}
