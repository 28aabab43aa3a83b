import { expect, type APIRequestContext } from '@playwright/test';

const key = process.env['LOCK_TEST_HOST_KEY']!;

/** The embedded mock AMS's real admin API, found through the test host. */
export async function mockAdmin(request: APIRequestContext) {
  const response = await request.get('/__lock/test/mock-admin', { headers: { 'x-lock-key': key } });
  expect(response.ok()).toBe(true);
  const { url, adminKey } = (await response.json()) as { url: string; adminKey: string };
  const post = async (path: string, data: unknown) => {
    const answer = await request.post(`${url}${path}`, { headers: { 'x-admin-key': adminKey }, data });
    expect(answer.ok(), `${path}: ${await answer.text()}`).toBe(true);
    return answer.json() as Promise<unknown>;
  };
  return {
    url,
    clock: (offsetDays: number) => post('/admin/v1/clock', { offsetDays }),
    faults: (faults: Record<string, number>) => post('/admin/v1/faults', faults),
    autoApprove: (on: boolean) => post('/admin/v1/settings', { autoApprove: on }),
    enrollmentFails: (on: boolean) => post('/admin/v1/settings', { enrollmentFails: on }),
    revoke: (serialNumber: string) => post('/admin/v1/revoke', { serialNumber, reason: 'keyCompromise' }),
    expireToken: (requestId: string) => post('/admin/v1/tokens/expire', { requestId }),
    decide: (requestId: string, decision: 'approve' | 'reject', note?: string) => post('/admin/v1/decisions', { requestId, decision, note }),
  };
}
