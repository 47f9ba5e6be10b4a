function applyFilters(){
  const rs=[...document.querySelectorAll('input[data-ruleset]')].filter(i=>i.checked).map(i=>i.dataset.ruleset);
  const sv=[...document.querySelectorAll('input[data-severity]')].filter(i=>i.checked).map(i=>i.dataset.severity);
  document.querySelectorAll('tr[data-rulesets]').forEach(tr=>{
    const mine=tr.dataset.rulesets.split(' ');
    tr.hidden=!(mine.some(r=>rs.includes(r))&&sv.includes(tr.dataset.severity));
  });
}
document.querySelectorAll('.filters input').forEach(i=>i.addEventListener('change',applyFilters));
