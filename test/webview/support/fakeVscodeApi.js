// Stands in for VS Code's webview API in the browser tests: records every
// message the page posts, persists setState in sessionStorage (so a reload
// keeps it, like VS Code), and lets the test deliver host messages. It also
// records CSP violations from the very start of the page.
(() => {
  const posted = [];
  const violations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    violations.push({ directive: e.violatedDirective, blockedURI: e.blockedURI, sample: e.sample });
  });
  let state = JSON.parse(sessionStorage.getItem('__fakeVsState') ?? 'null');
  let acquired = false;
  window.__posted = posted;
  window.__cspViolations = violations;
  window.__getState = () => state;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage: (m) => {
        posted.push(JSON.parse(JSON.stringify(m)));
        if (m.type === 'ready' && window.__autoSnapshot) answerReadyForPerf();
      },
      getState: () => state,
      setState: (s) => {
        state = s;
        sessionStorage.setItem('__fakeVsState', JSON.stringify(s));
        return s;
      },
    });
  };
  /**
   * perf.mjs: answer the first `ready` with window.__autoSnapshot (set by an init script) like a
   * host would, and record when the frame showing it has been rendered (window.__renderedAt,
   * ms since navigation start).
   */
  function answerReadyForPerf() {
    const snapshot = window.__autoSnapshot;
    window.__autoSnapshot = undefined;
    setTimeout(() => {
      window.__deliveredAt = performance.now();
      window.__deliver(snapshot);
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => (window.__renderedAt = performance.now());
        channel.port2.postMessage(0);
      });
    });
  }
  /** Delivers a host->webview message the way VS Code does: a window `message` event. */
  window.__deliver = (m) => window.dispatchEvent(new MessageEvent('message', { data: m }));
})();
