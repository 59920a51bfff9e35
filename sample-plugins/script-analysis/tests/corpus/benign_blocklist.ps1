# Blocks the indicators from advisory ADV-2024-17 (defanged as received).
# C2: 203.0.113[.]5 and hxxps://update-check[.]example[.]net/api
New-NetFirewallRule -DisplayName 'Block ADV-2024-17' -Direction Outbound -RemoteAddress 203.0.113.5 -Action Block
Write-Host 'rule added'
