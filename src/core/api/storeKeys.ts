// The keys the client keeps its identity under (client id, anonymous token and user id):
// a file of their own, since the token store reads one at activation without the rest
// of identity.ts.
export const STORE_KEYS = {
  clientId: 'nemoVideo.clientId',
  anonymousToken: 'nemoVideo.anonymousToken',
  anonymousUserId: 'nemoVideo.anonymousUserId',
} as const;
