@echo off
setlocal
rem Builds the solution and copies the output to the share.
set CONFIG=Release
set OUT=%~dp0bin\%CONFIG%
dotnet build "%~dp0src\App.sln" -c %CONFIG% -o "%OUT%"
if errorlevel 1 (
  echo Build failed
  exit /b 1
)
xcopy /y /e "%OUT%" "\\buildserver.corp.example.com\drops\app\"
echo Done.
endlocal
