# Shows the helpdesk banner stored encoded in the profile.
$banner = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('V2VsY29tZSEgQ2FsbCB0aGUgaGVscGRlc2sgb24gZXh0ZW5zaW9uIDQyNDIu'))
Write-Host $banner -ForegroundColor Green
