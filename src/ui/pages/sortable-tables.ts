/**
 * The dashboard's one script, inlined into every page (no file to fetch, no network): the headers of the
 * sortable tables become buttons that sort the rows by that column, numbers as numbers (a cell's `data-sort`
 * when set, exact integers such as pico-dollars compared as BigInt), text as text, and cells with no number
 * ("—", "unpriced") last either way. Without script the tables stay in the server's order.
 */
export const sortableTablesScript = `<style>
th button.sort{all:inherit;cursor:pointer;padding:0}th button.sort:focus-visible{outline:2px solid #0969da}
th[aria-sort=ascending] button.sort::after{content:" ▲"}th[aria-sort=descending] button.sort::after{content:" ▼"}
</style><script>
(() => {
  const valueOf = (cell) => {
    const raw = (cell?.dataset.sort ?? cell?.textContent ?? '').trim();
    if (/^-?\\d+$/.test(raw)) return { rank: 0, number: BigInt(raw) };
    const number = Number.parseFloat(raw.replace(/[$,]/g, ''));
    return Number.isFinite(number) ? { rank: 0, number } : { rank: 1, text: raw };
  };
  const compare = (a, b) => {
    if (a.text !== undefined) return a.text.localeCompare(b.text);
    if (typeof a.number === 'bigint' && typeof b.number === 'bigint')
      return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
    return Number(a.number) - Number(b.number);
  };
  for (const table of document.querySelectorAll('table.sortable, table#comparison, table#experiments')) {
    const body = table.tBodies[0];
    const headers = [...(table.tHead?.rows[0]?.cells ?? [])];
    if (!body || body.rows.length < 2) continue;
    headers.forEach((header, column) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      button.title = 'sort by this column';
      button.append(...header.childNodes);
      header.append(button);
      button.addEventListener('click', () => {
        const descending = header.getAttribute('aria-sort') === 'ascending' ||
          (!header.hasAttribute('aria-sort') && header.classList.contains('num'));
        for (const other of headers) other.removeAttribute('aria-sort');
        header.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
        const rows = [...body.rows].map((row) => ({ row, value: valueOf(row.cells[column]) }));
        rows.sort((a, b) =>
          a.value.rank - b.value.rank || (descending ? -1 : 1) * compare(a.value, b.value));
        body.append(...rows.map((entry) => entry.row));
      });
    });
  }
})();
</script>`;
