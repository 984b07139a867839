// One requestAnimationFrame for everything the chat does per frame, in a fixed
// order: first the "render" tasks (a streaming message turns the text that
// arrived since the last frame into Markdown), then the "scroll" tasks (the
// list follows the newest line). So the scroll sees this frame's content, and
// many deltas between two frames cost one render. Each task runs at most once
// per frame however often it is scheduled.
type Task = () => void;

const render = new Set<Task>();
const scroll = new Set<Task>();
let handle = 0;

export function onNextFrame(task: Task, phase: 'render' | 'scroll' = 'render'): void {
  (phase === 'render' ? render : scroll).add(task);
  if (handle === 0) handle = requestAnimationFrame(runFrame);
}

export function cancelFrameTask(task: Task): void {
  render.delete(task);
  scroll.delete(task);
}

function runFrame(): void {
  handle = 0;
  for (const set of [render, scroll]) {
    const tasks = [...set];
    set.clear();
    for (const task of tasks) {
      try {
        task();
      } catch (err) {
        // One failing task must not starve the others; the page's error handler reports it.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
