// Renders untrusted text as inert DOM: createElement + textContent only, from
// the segments of linkify.ts. Links are <a> elements without href: the list's
// click handler hands their URL to the host, which re-validates and opens it.
import { tokenize } from './linkify';

/** Appends `text` to `parent` as inert nodes. Links are <a> without href (see module comment). */
export function renderRichText(parent: Node, text: string, linkTitle: (url: string) => string): void {
  for (const seg of tokenize(text)) {
    switch (seg.kind) {
      case 'text':
        parent.appendChild(document.createTextNode(seg.text));
        break;
      case 'code': {
        const code = document.createElement('code');
        code.textContent = seg.text;
        parent.appendChild(code);
        break;
      }
      case 'bold': {
        const strong = document.createElement('strong');
        strong.textContent = seg.text;
        parent.appendChild(strong);
        break;
      }
      case 'link': {
        const a = document.createElement('a');
        a.className = 'link';
        a.textContent = seg.text;
        a.dataset.url = seg.url;
        a.title = linkTitle(seg.url);
        a.tabIndex = -1; // reachable through its message (keyboard.ts)
        a.setAttribute('role', 'link');
        parent.appendChild(a);
        break;
      }
    }
  }
}
