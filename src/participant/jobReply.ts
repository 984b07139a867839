// @nemo's answer while one of its jobs runs, built from that job's events: progress
// lines as progress, the agent's reply as Markdown once it is complete (the Chat
// view can only append, so live text is held until its message ends), notices, the
// timeline summary, the saved video as a link to the file, and errors with the
// remedies that work from here.
import * as vscode from 'vscode';
import { TextPieces } from '../core/conversation/textPieces';
import { summarizeTimeline } from '../core/timeline/build';
import type { JobEvent } from '../jobs/job';
import type { ResponseWriter } from './responseWriter';

export class JobReply {
  /** The live reply not yet shown. */
  private readonly live = new TextPieces();

  constructor(private readonly out: ResponseWriter) {}

  handle(e: JobEvent): void {
    switch (e.type) {
      case 'queued':
        this.out.progress(vscode.l10n.t('⏸ Queued: this starts when the current work is done.'));
        return;
      case 'textDelta':
        this.live.push(e.text);
        return;
      case 'textRetracted':
        this.live.clear();
        return;
      case 'text':
        this.live.clear();
        if (e.text.trim()) this.out.markdown(e.text);
        return;
      case 'question':
        this.flush();
        this.out.markdown(e.text);
        return;
      case 'runEnded':
        // A stopped reply is followed by its own "Stopped" line.
        if (e.status === 'cancelled') this.live.clear();
        else this.flush();
        return;
      case 'progress':
        // A new step of the agent ends the reply before it.
        if (e.kind === 'step') this.flush();
        if (e.text.trim()) this.out.progress(e.text);
        return;
      case 'notice':
      case 'summary':
        this.out.text(e.text);
        return;
      case 'runResult':
        if (e.timeline && e.timeline.tracks.length > 0) this.out.text(summarizeTimeline(e.timeline));
        return;
      case 'exported':
        this.out.fileLine(vscode.l10n.t('✅ Video saved ({0} MB):', (e.file.bytes / 1048576).toFixed(1)), e.file.uri, e.file.label);
        return;
      case 'error':
        this.out.error(e.text, e.remedies);
        return;
      case 'started':
      case 'dropped':
      case 'runStarted':
      case 'suggestedAction':
      case 'timeline':
      case 'transfer':
      case 'result':
        return;
    }
  }

  /** Shows the live reply so far. */
  private flush(): void {
    if (this.live.isEmpty) return;
    const text = this.live.join();
    this.live.clear();
    if (text.trim()) this.out.markdown(text);
  }
}
