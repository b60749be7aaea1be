/** Only same-site paths inside the app are followed after sign-in (no open redirect). */
export function safeReturnPath(from: unknown): string {
  if (typeof from !== 'string') return '/';
  if (!from.startsWith('/') || from.startsWith('//') || from.startsWith('/\\')) return '/';
  if (from === '/login' || from.startsWith('/login?') || from.startsWith('/api/')) return '/';
  return from;
}
