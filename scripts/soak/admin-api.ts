/** The few administrator calls the soak makes, over the API with its API_TOKEN. */
export class AdminApi {
  private readonly ids = new Map<string, string>();

  constructor(
    private readonly apiUrl: string,
    private readonly token: string,
  ) {}

  /** `POST /user/create`, as the contract says. */
  async createUser(address: string, password: string): Promise<void> {
    const response = await fetch(`${this.apiUrl}/user/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify({ username: address, password }),
    });
    const body = (await response.json()) as { success: boolean; id?: string; error?: string };
    if (!body.success || !body.id) throw new Error(`could not create ${address}: ${body.error}`);
    this.ids.set(address, body.id);
  }

  async storageUsed(address: string): Promise<number> {
    const data = await this.graphql<{ user: { storageUsed: number } }>(
      'query($id: ID!) { user(id: $id) { storageUsed } }',
      { id: this.id(address) },
    );
    return data.user.storageUsed;
  }

  async setQuota(address: string, quota: number | null): Promise<void> {
    await this.graphql(
      'mutation($id: ID!, $quota: Float) { updateUser(id: $id, input: { quota: $quota }) { id } }',
      {
        id: this.id(address),
        quota,
      },
    );
  }

  private id(address: string): string {
    const id = this.ids.get(address);
    if (!id) throw new Error(`unknown user ${address}`);
    return id;
  }

  private async graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    // the API may be briefly without its store or Redis while a fault lasts: try a few times
    for (let attempt = 1; ; attempt += 1) {
      try {
        const response = await fetch(`${this.apiUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(10_000),
        });
        const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
        if (body.data && !body.errors?.length) return body.data;
        throw new Error(body.errors?.map((error) => error.message).join('; ') ?? `HTTP ${response.status}`);
      } catch (error) {
        if (attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }
}
