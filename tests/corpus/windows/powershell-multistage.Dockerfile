# escape=`
# Args used by FROM lines must be declared before the first stage
ARG InstallerRepo=mcr.microsoft.com/windows/servercore
ARG InstallerTag=ltsc2022
ARG RuntimeRepo=mcr.microsoft.com/windows/nanoserver
ARG RuntimeTag=ltsc2022

FROM ${InstallerRepo}:$InstallerTag AS installer
ARG PS_VERSION=7.4.2
ARG PS_URL=https://example.invalid/PowerShell-$PS_VERSION-win-x64.zip
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
RUN Write-Host "fetching $env:PS_URL"; `
    Invoke-WebRequest -Uri $env:PS_URL -OutFile C:\pwsh.zip; `
    Expand-Archive C:\pwsh.zip -DestinationPath C:\pwsh; `
    Remove-Item C:\pwsh.zip

FROM ${RuntimeRepo}:${RuntimeTag}
COPY --from=installer ["C:\\pwsh", "C:\\Program Files\\PowerShell"]
ENV PSModuleAnalysisCachePath="C:\Users\Public\AppData\Local\Microsoft\Windows\PowerShell\docker\ModuleAnalysisCache" `
    POWERSHELL_TELEMETRY_OPTOUT=1
USER ContainerAdministrator
RUN setx /M PATH "%PATH%;C:\Program Files\PowerShell"
USER ContainerUser
CMD ["pwsh.exe"]
