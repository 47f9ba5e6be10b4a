(function(){
"use strict";
/* Filters (région, département, verdict, rule in gap), combined; the counts, the caption and the
   rules' ranking follow what is shown. Every column sorts. The verdicts, statuses and rules come
   from the data (D), never written here. */
var D=JSON.parse(document.getElementById("donnees").textContent);
var tbody=document.getElementById("matrice").tBodies[0];
var rows=Array.prototype.slice.call(tbody.rows);
var fr=document.getElementById("f-region"),fd=document.getElementById("f-dep");
var fv=document.getElementById("f-verdict"),fg=document.getElementById("f-regle");
var nf=new Intl.NumberFormat("fr-FR");
var NS=D.statuts.length,CLS={non_conforme:"snc",incomplet:"sin",a_verifier:"sav"};
var WAIT=D.statuts.map(function(s){return s[2];});
document.getElementById("filtres").hidden=false;
function deps(){
  var r=fr.value,cur=fd.value,keep=false;
  while(fd.options.length>1)fd.remove(1);
  D.departements.forEach(function(d){
    if(!r||d[1]===r){fd.add(new Option(d[2],d[0]));if(d[0]===cur)keep=true;}
  });
  fd.value=keep?cur:"";
}
function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text!=null)e.textContent=text;return e;}
function plural(n,word){return nf.format(n)+" "+word+(n>1?"s":"");}
function bars(counts){
  /* real gaps first (non conforme first), then those only waiting for a person, then catalogue order */
  var R=D.regles.length,list=[],i,s;
  for(i=0;i<R;i++){
    var real=0,wait=0;
    for(s=0;s<NS;s++){if(WAIT[s])wait+=counts[NS*i+s];else real+=counts[NS*i+s];}
    if(real+wait)list.push([i,real+wait,real,wait]);
  }
  list.sort(function(a,b){return b[2]-a[2]||counts[NS*b[0]]-counts[NS*a[0]]||b[3]-a[3]||a[0]-b[0];});
  list=list.slice(0,D.top);
  var ol=document.getElementById("barres");
  while(ol.firstChild)ol.removeChild(ol.firstChild);
  if(!list.length){ol.appendChild(el("li",null,"Aucune règle en écart."));return;}
  var max=list[0][1];
  list.forEach(function(x){
    var i=x[0],rule=D.regles[i],li=el("li");
    li.dataset.regle=rule[0];li.dataset.n=x[1];li.dataset.reels=x[2];
    if(!x[2])li.className="attente";
    var lab=el("span","bl");lab.appendChild(el("b",null,rule[0]));lab.appendChild(document.createTextNode(" "+rule[1]));
    li.appendChild(lab);
    var bar=el("span","bb");bar.setAttribute("aria-hidden","true");
    var parts=[];
    D.statuts.forEach(function(st,s){var n=counts[NS*i+s];if(n){var seg=el("span",CLS[st[0]]||"sav");seg.style.width=(100*n/max)+"%";bar.appendChild(seg);parts.push(st[1]+" : "+nf.format(n));}});
    li.appendChild(bar);
    li.appendChild(el("span","bn",plural(x[1],"commune")+" ("+parts.join(" · ")+")"+(x[2]?"":" : vérification en attente, rien à faire pour la commune")));
    ol.appendChild(li);
  });
}
function apply(){
  var r=fr.value,d=fd.value,v=fv.value,g=fg.value,shown=0;
  var vi=-1,gi=-1,n=D.verdicts.map(function(){return 0;}),counts=new Int32Array(NS*D.regles.length);
  D.verdicts.forEach(function(x,k){if(x[0]===v)vi=k;});
  D.regles.forEach(function(x,k){if(x[0]===g)gi=k;});
  D.lignes.forEach(function(l,i){
    var gaps=l[3],ok=(!r||l[0]===r)&&(!d||l[1]===d)&&(!v||l[2]===vi),k;
    if(ok&&g){ok=false;for(k=0;k<gaps.length;k++)if(Math.floor(gaps[k]/NS)===gi)ok=true;}
    rows[i].hidden=!ok;
    if(!ok)return;
    shown++;n[l[2]]++;
    for(k=0;k<gaps.length;k++)counts[gaps[k]]++;
  });
  document.getElementById("n-dossiers").textContent=nf.format(shown);
  D.verdicts.forEach(function(x,k){var e=document.getElementById("n-"+x[0]);if(e)e.textContent=nf.format(n[k]);});
  var where=[],total=rows.length;
  if(r)where.push(fr.options[fr.selectedIndex].text);
  if(d)where.push("département "+fd.options[fd.selectedIndex].text);
  if(v)where.push("verdict "+fv.options[fv.selectedIndex].text);
  if(g)where.push("écart sur la règle "+g);
  var count=plural(shown,"dossier")+" affiché"+(shown>1?"s":"")+" sur "+nf.format(total);
  document.getElementById("compte").textContent=count;
  document.getElementById("etat-filtre").textContent=(where.length?"Filtre : "+where.join(", ")+" — ":"")+count+".";
  bars(counts);
}
/* Sorting: one button per column header; aria-sort on the sorted one only. Empty cells last. */
var heads=Array.prototype.slice.call(document.querySelectorAll("#matrice thead th"));
var sorted=-1,dir=1;
function cmp(a,b){
  if(a===null||b===null)return a===b?0:(a===null?1:-1)*dir;
  if(typeof a==="string")return a.localeCompare(b,"fr",{numeric:true,sensitivity:"base"});
  if(typeof a==="number")return a-b;
  for(var k=0;k<a.length;k++){if(a[k]!==b[k])return a[k]-b[k];}
  return 0;
}
function text(tr,col){
  /* the name of the commune (not its details), a cell's text; the first blocking gap's cell is found
     by its class (an unreadable dossier's row spans the columns after its verdict) */
  var cell=col===0?tr.cells[0].firstChild:(col===D.texte[2]?tr.querySelector("td.m"):tr.cells[col]);
  var t=cell?cell.textContent.trim():"";
  return t&&t!=="–"?t:null;
}
function sortBy(col){
  dir=sorted===col?-dir:1;sorted=col;
  var byText=D.texte.indexOf(col)>=0;
  var keys=rows.map(function(tr,i){return byText?text(tr,col):D.lignes[i][4][col];});
  var order=rows.map(function(_,i){return i;});
  order.sort(function(i,j){return dir*cmp(keys[i],keys[j])||i-j;});
  /* into a new tbody: reordering rows inside their own tbody is quadratic in Chromium (seconds for 2,300) */
  var fresh=tbody.cloneNode(false);
  order.forEach(function(i){fresh.appendChild(rows[i]);});
  tbody.parentNode.replaceChild(fresh,tbody);tbody=fresh;
  heads.forEach(function(th,k){
    var arrow=th.querySelector(".fl");
    if(k===col){th.setAttribute("aria-sort",dir>0?"ascending":"descending");arrow.textContent=dir>0?" ▲":" ▼";}
    else{th.removeAttribute("aria-sort");arrow.textContent="";}
  });
}
heads.forEach(function(th,k){th.querySelector("button").addEventListener("click",function(){sortBy(k);});});
fr.addEventListener("change",function(){deps();apply();});
[fd,fv,fg].forEach(function(f){f.addEventListener("change",apply);});
if(fr.value||fd.value||fv.value||fg.value){deps();apply();}
})();
