import type { Reply } from './http.ts';

// The program a burst of applications is sent to (the applications bench and the scale test):
// 30 seats, two kecamatan quotas of 15, first come first served.
export const burstCapacity = 30;
export const burstQuotas = [
  { kecamatan: '62.71.02', quota: 15 },
  { kecamatan: '62.71.05', quota: 15 },
];

type Post = (path: string, body: unknown) => Promise<Reply>;

export async function createBurstProgram(post: Post, name: string): Promise<string> {
  const res = await post('/api/v1/programs', {
    name,
    type: 'training',
    capacity: burstCapacity,
    selection: 'first_come',
    // Ahead of today: the public form closes once a program has started.
    startDate: '2099-08-24',
    endDate: '2099-08-28',
    eligibility: { in: [{ var: 'kecamatan' }, ['62.71.02', '62.71.05']] },
    quotas: burstQuotas,
  });
  if (res.status !== 201) throw new Error(`program: ${res.status} ${res.body}`);
  return (JSON.parse(res.body) as { id: string }).id;
}
