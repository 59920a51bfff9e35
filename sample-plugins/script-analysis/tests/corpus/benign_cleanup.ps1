# Removes log files older than 30 days from the application folder.
param([string]$Path = 'C:\ProgramData\Contoso\Logs', [int]$Days = 30)
$limit = (Get-Date).AddDays(-$Days)
Get-ChildItem -Path $Path -Filter *.log -Recurse |
  Where-Object { $_.LastWriteTime -lt $limit } |
  ForEach-Object {
    Write-Host "Removing $($_.FullName)"
    Remove-Item $_.FullName -Force
  }
Write-Output "Cleanup of $Path finished"
