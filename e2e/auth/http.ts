import http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A GET with exactly the headers given (repeated headers as arrays, any Host), the way a hostile
 * client or a misconfigured proxy could send them; redirects are not followed.
 */
export function rawGet(url: string, headers: Record<string, string | string[]> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'GET', headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.once('error', reject);
    request.end();
  });
}

export const HTML = { accept: 'text/html,application/xhtml+xml' };
/** What Next's client router sends when it fetches a page's React Server Components payload. */
export const RSC = { rsc: '1', accept: '*/*' };
