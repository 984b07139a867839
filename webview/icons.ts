// Tiny inline icons built with createElementNS, in place of the codicon font
// (the .vsix does not ship node_modules assets, and fonts would need
// font-src exceptions). All strokes and fills use currentColor so the theme
// decides the colour.
const SVG_NS = 'http://www.w3.org/2000/svg';

type Shape =
  | { path: string; fill?: boolean }
  | { circle: [cx: number, cy: number, r: number]; fill?: boolean }
  | { rect: [x: number, y: number, w: number, h: number, rx: number]; fill?: boolean };

const ICONS = {
  send: [{ path: 'M2 2.2 14.2 8 2 13.8l1.9-5.8z', fill: true }],
  stop: [{ rect: [3.5, 3.5, 9, 9, 1.5], fill: true }],
  attach: [{ path: 'M10.6 4.6 5.4 9.8a1.4 1.4 0 0 0 2 2l5.5-5.5a2.9 2.9 0 0 0-4.1-4.1L3.3 7.7a4.4 4.4 0 0 0 6.2 6.2l4.1-4.1' }],
  export: [{ path: 'M8 2.5v8M4.6 7.2 8 10.6l3.4-3.4M3 13.5h10' }],
  add: [{ path: 'M8 3v10M3 8h10' }],
  credits: [{ circle: [8, 8, 5.6] }, { path: 'M8 5.2v5.6M6.3 6.6h2.6a1.1 1.1 0 0 1 0 2.2H7.1a1.1 1.1 0 0 0 0 2.2h2.6' }],
  arrowDown: [{ path: 'M8 3v9.5M4 8.5l4 4 4-4' }],
  video: [
    { rect: [1.5, 3.5, 9.5, 9, 1.5] },
    { path: 'M11 7.2l3.5-2.2v6l-3.5-2.2z' },
  ],
  logo: [
    { rect: [1.5, 3, 13, 10, 1.8] },
    { path: 'M6.4 5.6v4.8L10.4 8z', fill: true },
  ],
} satisfies Record<string, Shape[]>;

export type IconName = keyof typeof ICONS;

const built = new Map<string, SVGSVGElement>();

/** A fresh copy of the icon (cloned: history cards can need dozens). */
export function icon(name: IconName, className = 'icon'): SVGSVGElement {
  const key = `${name} ${className}`;
  let svg = built.get(key);
  if (!svg) built.set(key, (svg = buildIcon(name, className)));
  return svg.cloneNode(true) as SVGSVGElement;
}

function buildIcon(name: IconName, className: string): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', className);
  for (const shape of ICONS[name] as Shape[]) svg.append(shapeElement(shape));
  return svg;
}

function shapeElement(shape: Shape): SVGElement {
  let el: SVGElement;
  if ('path' in shape) {
    el = document.createElementNS(SVG_NS, 'path');
    el.setAttribute('d', shape.path);
  } else if ('circle' in shape) {
    el = document.createElementNS(SVG_NS, 'circle');
    const [cx, cy, r] = shape.circle;
    el.setAttribute('cx', String(cx));
    el.setAttribute('cy', String(cy));
    el.setAttribute('r', String(r));
  } else {
    el = document.createElementNS(SVG_NS, 'rect');
    const [x, y, w, h, rx] = shape.rect;
    el.setAttribute('x', String(x));
    el.setAttribute('y', String(y));
    el.setAttribute('width', String(w));
    el.setAttribute('height', String(h));
    el.setAttribute('rx', String(rx));
  }
  el.setAttribute('class', shape.fill ? 'fill' : 'stroke');
  return el;
}
