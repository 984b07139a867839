// Lit falls back to <style> elements where constructable stylesheets are
// missing; under our CSP those need the page nonce, which Lit reads from
// globalThis.litNonce. Imported before any component so it is set in time.
const nonce = (document.currentScript as HTMLScriptElement | null)?.nonce;
if (nonce) (globalThis as { litNonce?: string }).litNonce = nonce;
export {};
