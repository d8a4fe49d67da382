/** "PNG of any chart": the chart's own canvas, on a white background (the canvas itself is transparent). */

/** `trajectory` + `2012-12-31` → `trajectory_asof-2012-12-31.png`. */
export function pngName(chartId: string, asOf?: string): string {
  const safe = chartId.replace(/[^A-Za-z0-9_-]+/g, '-');
  return `${safe}${asOf ? `_asof-${asOf}` : ''}.png`;
}

/** Saves the first canvas inside `container` as a PNG file. */
export function downloadCanvasPng(container: HTMLElement, fileName: string): void {
  const source = container.querySelector('canvas');
  if (!source) return;
  const out = document.createElement('canvas');
  out.width = source.width;
  out.height = source.height;
  const ctx = out.getContext('2d');
  if (!ctx) return;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(source, 0, 0);
  out.toBlob((blob) => {
    if (!blob) return;
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }, 'image/png');
}
