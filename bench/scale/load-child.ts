/**
 * The load generator of scenario (g), in a process of its own so that it does not share the
 * server's event loop: autocannon with one connection per session, each cycling through its own
 * list of requests (its cookie in every request), bounded in time. Reads its settings as JSON on
 * stdin, prints one JSON line: autocannon's totals and the latency of every path, measured here
 * (client side) from autocannon's own per-response timings.
 */
import autocannon from 'autocannon';
import { latencyOf } from './stats';

interface Settings {
  url: string;
  seconds: number;
  sessions: { cookie: string | null; paths: string[] }[];
  /** Requests per second per session (think time between clicks); absent: back to back. */
  ratePerSession?: number;
}

const settings = JSON.parse(
  await new Response(process.stdin as unknown as ReadableStream).text(),
) as Settings;
const byPath = new Map<string, number[]>();
const statuses = new Map<string, Record<string, number>>();
let next = 0;

type Client = {
  setRequests(requests: object[]): void;
  on(event: 'response', fn: (status: number, bytes: number, ms: number) => void): void;
  requestIterator: { recordBody: (req: { path: string }, ...rest: unknown[]) => void };
};

const result = await autocannon({
  url: settings.url,
  connections: settings.sessions.length,
  duration: settings.seconds,
  timeout: 10,
  ...(settings.ratePerSession && { connectionRate: settings.ratePerSession }),
  setupClient(c: autocannon.Client) {
    // recordBody is not in the published types; it is autocannon's own hook (lib/httpClient.js).
    const client = c as unknown as Client;
    const session = settings.sessions[next++ % settings.sessions.length]!;
    client.setRequests(
      session.paths.map((path) => ({
        method: 'GET',
        path,
        headers: session.cookie ? { cookie: `liudong_sid=${session.cookie}` } : {},
      })),
    );
    // Which request a response answers: autocannon hands the request to recordBody just before
    // it emits 'response' for it (one request in flight per connection: no pipelining).
    let current = '';
    const record = client.requestIterator.recordBody.bind(client.requestIterator);
    client.requestIterator.recordBody = (req, ...rest) => {
      current = req.path;
      record(req, ...rest);
    };
    client.on('response', (status, _bytes, ms) => {
      if (!byPath.has(current)) byPath.set(current, []);
      byPath.get(current)!.push(ms);
      const s = statuses.get(current) ?? {};
      s[status] = (s[status] ?? 0) + 1;
      statuses.set(current, s);
    });
  },
});

const perPath = Object.fromEntries(
  [...byPath].map(([path, samples]) => [
    path,
    { ...latencyOf(samples, settings.seconds * 1000), statuses: statuses.get(path) },
  ]),
);
console.log(
  JSON.stringify({
    requests: result.requests.total,
    perSecond: result.requests.average,
    latency: {
      p50: result.latency.p50,
      p97_5: result.latency.p97_5,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    perPath,
  }),
);
