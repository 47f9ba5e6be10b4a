(function(){
"use strict";
var D=JSON.parse(document.getElementById("donnees").textContent);
var rows=document.getElementById("matrice").tBodies[0].rows;
var fr=document.getElementById("f-region"),fd=document.getElementById("f-dep");
var nf=new Intl.NumberFormat("fr-FR");
var SL={nc:"non conforme",in:"incomplet",av:"à vérifier"};
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
function bars(counts){
  var R=D.regles.length,list=[],i;
  for(i=0;i<R;i++){var t=counts[3*i]+counts[3*i+1]+counts[3*i+2];if(t)list.push([i,t]);}
  list.sort(function(a,b){return b[1]-a[1]||counts[3*b[0]]-counts[3*a[0]]||a[0]-b[0];});
  list=list.slice(0,D.top);
  var ol=document.getElementById("barres");
  while(ol.firstChild)ol.removeChild(ol.firstChild);
  if(!list.length){ol.appendChild(el("li",null,"Aucune règle en écart."));return;}
  var max=list[0][1];
  list.forEach(function(x){
    var i=x[0],rule=D.regles[i],li=el("li");
    li.dataset.regle=rule[0];li.dataset.n=x[1];
    var lab=el("span","bl");lab.appendChild(el("b",null,rule[0]));lab.appendChild(document.createTextNode(" "+rule[1]));
    li.appendChild(lab);
    var bar=el("span","bb");bar.setAttribute("aria-hidden","true");
    var parts=[];
    ["nc","in","av"].forEach(function(k,s){var n=counts[3*i+s];if(n){var seg=el("span","s"+k);seg.style.width=(100*n/max)+"%";bar.appendChild(seg);parts.push(SL[k]+" : "+nf.format(n));}});
    li.appendChild(bar);
    li.appendChild(el("span","bn",nf.format(x[1])+(x[1]>1?" communes":" commune")+" ("+parts.join(" · ")+")"));
    ol.appendChild(li);
  });
}
function apply(){
  var r=fr.value,d=fd.value,n=D.verdicts.map(function(){return 0;}),shown=0,counts=new Int32Array(3*D.regles.length);
  D.lignes.forEach(function(l,i){
    var ok=(!r||l[0]===r)&&(!d||l[1]===d);
    rows[i].hidden=!ok;
    if(!ok)return;
    shown++;n[l[2]]++;
    var g=l[3];for(var k=0;k<g.length;k++)counts[g[k]]++;
  });
  document.getElementById("n-dossiers").textContent=nf.format(shown);
  D.verdicts.forEach(function(v,k){document.getElementById("n-"+v).textContent=nf.format(n[k]);});
  var where=[];
  if(r)where.push(fr.options[fr.selectedIndex].text);
  if(d)where.push("département "+fd.options[fd.selectedIndex].text);
  document.getElementById("etat-filtre").textContent=(where.length?"Filtre : "+where.join(", ")+" — ":"")+nf.format(shown)+" dossier"+(shown>1?"s":"")+" affiché"+(shown>1?"s":"")+" sur "+nf.format(rows.length)+".";
  bars(counts);
}
fr.addEventListener("change",function(){deps();apply();});
fd.addEventListener("change",apply);
if(fr.value||fd.value){deps();apply();}
})();
