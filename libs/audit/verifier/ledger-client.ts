/** The ledger answered something else than 2xx: its status and message, for the auditor. */
export class LedgerHttpError extends Error {
  constructor(
    readonly status: number,
    path: string,
    message: string,
  ) {
    super(`GET ${path}: HTTP ${status}: ${message}`);
    this.name = 'LedgerHttpError';
  }
}

/** GET requests to a ledger's audit routes with an auditor key (fetch only). */
export class LedgerClient {
  private readonly base: string;

  constructor(
    url: string,
    private readonly key: string | undefined,
  ) {
    this.base = url.replace(/\/+$/, '');
  }

  get origin(): string {
    return this.base;
  }

  async get<T>(path: string): Promise<T> {
    const response = await fetch(`${this.base}${path}`, {
      headers: {
        accept: 'application/json',
        ...(this.key ? { authorization: `Bearer ${this.key}` } : {}),
      },
    });
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        const body = JSON.parse(text) as { message?: unknown };
        if (body.message !== undefined) message = [body.message].flat().join('; ');
      } catch {
        // not JSON: the text as is
      }
      throw new LedgerHttpError(response.status, path, message.slice(0, 500));
    }
    return JSON.parse(text) as T;
  }
}

export interface CheckpointAnswer {
  readonly origin: string;
  readonly treeSize: string;
  readonly note: string;
  readonly signedAt: string;
  readonly eventId: string;
}

export interface LeavesAnswer {
  readonly leaves: { index: string; eventId: string; leaf: string }[];
}

/** The most leaves GET /v1/audit/leaves answers at a time. */
export const LEAVES_PAGE = 1000;

/**
 * Every leaf of [0, size), page after page, the next page asked for while this one is
 * checked: at most two pages in memory.
 */
export async function* leafPages(
  client: LedgerClient,
  size: bigint,
): AsyncGenerator<LeavesAnswer['leaves']> {
  const page = (start: bigint) => {
    const end = start + BigInt(LEAVES_PAGE) < size ? start + BigInt(LEAVES_PAGE) : size;
    return client.get<LeavesAnswer>(`/v1/audit/leaves?start=${start}&end=${end}`);
  };
  let next = size > 0n ? page(0n) : undefined;
  for (let start = 0n; next;) {
    const current = next;
    start += BigInt(LEAVES_PAGE);
    next = start < size ? page(start) : undefined;
    // An unawaited page that fails must not become an unhandled rejection.
    next?.catch(() => undefined);
    yield (await current).leaves;
  }
}
