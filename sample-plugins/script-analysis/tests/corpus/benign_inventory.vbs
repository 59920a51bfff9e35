' Reports free disk space on the local drives.
Option Explicit
Dim fso, drive, report
Set fso = CreateObject("Scripting.FileSystemObject")
report = ""
For Each drive In fso.Drives
  If drive.IsReady Then
    report = report & drive.DriveLetter & ": " & FormatNumber(drive.FreeSpace / 1073741824, 1) & " GB free" & vbCrLf
  End If
Next
MsgBox report, vbInformation, "Disk space"
