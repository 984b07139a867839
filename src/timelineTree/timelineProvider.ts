// The Timeline view: one node per track (icon by kind), its segments below with
// their time range (`0–10s`), volume for audio and a tooltip of the metadata.
// Backend text is shown as plain labels and escaped in the (untrusted) Markdown
// tooltip. With no project or an empty timeline the view is empty, so the
// manifest's welcome view (Generate from Selection, Open Chat) shows instead.
// It shows the timeline every job reports, empties when the project changes, and
// fetches the project's state itself when asked to refresh.
import * as vscode from 'vscode';
import { buildTimeline, formatRange } from '../core/timeline/build';
import type { Segment, Timeline, Track, TrackKind } from '../core/timeline/model';
import type { JobRunner } from '../jobs/runner';
import type { Projects } from '../projects/projects';

export type TimelineNode = { kind: 'track'; track: Track } | { kind: 'segment'; track: Track; segment: Segment; index: number };

const TRACK_ICONS: Record<TrackKind, string> = {
  video: 'device-camera-video',
  audio: 'music',
  text: 'symbol-text',
  other: 'symbol-misc',
};

export interface TimelineSource {
  /** The current project's draft, or undefined when there is no project. Throws on network errors. */
  fetchDraft(signal?: AbortSignal): Promise<{ draft: unknown } | undefined>;
}

export class TimelineProvider implements vscode.TreeDataProvider<TimelineNode>, vscode.Disposable {
  private timeline: Timeline | undefined;
  private readonly changed = new vscode.EventEmitter<TimelineNode | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private refreshing: Promise<void> | undefined;
  /** The first time the view asks, the project kept from an earlier session is loaded (not at activation). */
  private loadedOnce = false;

  constructor(
    private readonly source: TimelineSource,
    private readonly onError: (e: unknown) => void,
  ) {}

  current(): Timeline | undefined {
    return this.timeline;
  }

  /** Shows a timeline the caller already has (after a run), without another request. */
  set(timeline: Timeline | undefined): void {
    this.loadedOnce = true;
    this.timeline = timeline;
    void vscode.commands.executeCommand('setContext', 'nemoVideo.hasTimeline', !!timeline && timeline.tracks.length > 0);
    this.changed.fire();
  }

  /** Shows the timeline each job of the shown project reports; another project shown is fetched afresh. */
  follow(runner: JobRunner, projects: Pick<Projects, 'activeId' | 'onDidChangeActive'>): vscode.Disposable[] {
    return [
      runner.onDidSubmit((job) => {
        job.onEvent((e) => {
          if (e.type === 'timeline' && job.projectId === projects.activeId) this.set(e.timeline);
        });
      }),
      projects.onDidChangeActive(() => {
        this.set(undefined);
        void this.refresh();
      }),
    ];
  }

  /** Fetches the current project's state and shows its timeline; undefined without a project. Throws on errors. */
  async load(signal?: AbortSignal): Promise<Timeline | undefined> {
    const state = await this.source.fetchDraft(signal);
    const timeline = state ? buildTimeline(state.draft) : undefined;
    this.set(timeline);
    return timeline;
  }

  /** Fetches the current project's state and rebuilds the tree. Never throws. */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        await this.load();
      } catch (e) {
        this.onError(e);
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  /**
   * The segment a command argument points at, looked up in the timeline shown now
   * (by track and segment index), or undefined when it points at nothing shown.
   * Commands take only this: the labels in the argument itself are never trusted.
   */
  segmentFor(node: unknown): { track: Track; segment: Segment } | undefined {
    if (typeof node !== 'object' || node === null) return undefined;
    const n = node as { kind?: unknown; index?: unknown; track?: { index?: unknown } };
    if (n.kind !== 'segment' || !Number.isInteger(n.index) || !Number.isInteger(n.track?.index)) return undefined;
    const track = this.timeline?.tracks.find((t) => t.index === n.track!.index);
    const segment = track?.segments[n.index as number];
    return track && segment ? { track, segment } : undefined;
  }

  getChildren(node?: TimelineNode): TimelineNode[] {
    if (!node && !this.loadedOnce) {
      this.loadedOnce = true;
      void this.refresh();
    }
    if (!node) return (this.timeline?.tracks ?? []).map((track) => ({ kind: 'track', track }));
    if (node.kind === 'track') return node.track.segments.map((segment, index) => ({ kind: 'segment', track: node.track, segment, index }));
    return [];
  }

  getTreeItem(node: TimelineNode): vscode.TreeItem {
    if (node.kind === 'track') {
      const item = new vscode.TreeItem(node.track.title || vscode.l10n.t('Track {0}', node.track.index + 1), vscode.TreeItemCollapsibleState.Expanded);
      item.id = `track-${node.track.index}`;
      item.iconPath = new vscode.ThemeIcon(TRACK_ICONS[node.track.kind] ?? 'symbol-misc');
      item.description = node.track.segments.length === 1 ? vscode.l10n.t('1 segment') : vscode.l10n.t('{0} segments', node.track.segments.length);
      item.contextValue = 'track';
      return item;
    }
    const { segment, track } = node;
    const item = new vscode.TreeItem(oneLine(segment.label) || '?', vscode.TreeItemCollapsibleState.None);
    item.id = `track-${track.index}-segment-${node.index}`;
    item.description = segmentDescription(track, segment);
    item.tooltip = segmentTooltip(track, segment);
    item.contextValue = 'segment';
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** `0–10s`, plus the volume for audio: `0–10s · 35%`. */
export function segmentDescription(track: Track, segment: Segment): string {
  const range = formatRange(segment.startMs, segment.durationMs, '–');
  return track.kind === 'audio' && segment.volumePercent !== undefined ? `${range} · ${Math.round(segment.volumePercent)}%` : range;
}

/** A Markdown tooltip with every metadata value escaped; untrusted, so no command links can run. */
export function segmentTooltip(track: Track, segment: Segment): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  md.appendText(`${track.title}: ${oneLine(segment.label)}`);
  md.appendMarkdown('\n\n');
  md.appendText(`${vscode.l10n.t('Time')}: ${formatRange(segment.startMs, segment.durationMs, '–')}`);
  const rows = Object.entries(segment.meta).slice(0, 20);
  for (const [key, value] of rows) {
    md.appendMarkdown('\n\n');
    md.appendText(`${oneLine(key).slice(0, 60)}: ${metaValue(value)}`);
  }
  return md;
}

function metaValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  text = oneLine(text);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Control characters and line breaks out: a label is one line of plain text. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}

/** The noun for a scoped edit: `the title "Urban Dreams" (0–3s)`. */
export function describeSegment(track: Track, segment: Segment): string {
  const noun = track.kind === 'text' ? 'title' : track.kind === 'audio' ? 'music' : track.kind === 'video' ? 'video clip' : track.title.toLowerCase() || 'segment';
  return `the ${noun} "${oneLine(segment.label).replace(/"/g, "'")}" (${formatRange(segment.startMs, segment.durationMs, '–')})`;
}
