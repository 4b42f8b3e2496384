import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * A Vega-Lite spec as SVG text, rendered here without a browser or a network: the same spec a page can hand to
 * the browser. Text widths are estimated (no canvas in Node), close enough for labels.
 */
export async function renderChartSvg(spec: Record<string, unknown>): Promise<string> {
  const view = new View(parse(compile(spec as unknown as TopLevelSpec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The SVG as a PNG image (resvg: prebuilt, no browser), at `scale` × its size. */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  const image = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, background: 'white' }).render();
  return image.asPng();
}
