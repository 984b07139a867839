// A small exportable draft (§5): lets render rows start without a generation first.
export const EXPORTABLE_DRAFT = {
  t: [
    { tt: 0, sg: [{ s: 0, d: 10_000, m: { name: 'city timelapse', url: 'https://cdn.example/v.mp4' } }] },
    { tt: 7, sg: [{ s: 0, d: 3_000, m: { text: 'Urban Dreams' } }] },
  ],
  d: 10_000,
  m: { title: 'Urban Dreams', width: 1920, height: 1080 },
};
