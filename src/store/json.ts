import type { Store } from './store.js';

export async function getJson<T>(store: Store, key: string): Promise<T | undefined> {
  const bytes = await store.get(key);
  return bytes === undefined ? undefined : (JSON.parse(new TextDecoder().decode(bytes)) as T);
}

export async function putJson(store: Store, key: string, value: unknown): Promise<void> {
  await store.put(key, new TextEncoder().encode(JSON.stringify(value, null, 2)), {
    contentType: 'application/json',
  });
}
