/**
 * Pattern fills for the browser's canvas. The colours, symbols and which pattern each series gets are
 * defined once in @mm/shared/chart-config (the server paints the same tiles into PDFs and PNGs).
 */
import { paintPattern, PATTERN_TILE, type Pattern } from '@mm/shared/chart-config';

const cache = new Map<string, CanvasPattern | string>();

/** A fill for canvas charts: the colour with a light pattern drawn over it (cached per colour+pattern). */
export function patternFill(colour: string, pattern: Pattern): CanvasPattern | string {
  if (pattern === 'solid' || typeof document === 'undefined') return colour;
  const key = `${colour}/${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const c = document.createElement('canvas');
  c.width = PATTERN_TILE;
  c.height = PATTERN_TILE;
  const ctx = c.getContext('2d');
  if (!ctx) return colour;
  paintPattern(ctx, colour, pattern);
  const fill = ctx.createPattern(c, 'repeat') ?? colour;
  cache.set(key, fill);
  return fill;
}
