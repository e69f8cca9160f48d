FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04
SHELL ["pwsh", "-NoLogo", "-NoProfile", "-Command", "$ErrorActionPreference = 'Stop'; $PSNativeCommandUseErrorActionPreference = $true;"]
RUN Install-Module -Name Pester -Force -Scope AllUsers; \
    Get-Module -ListAvailable Pester | Select-Object -First 1
RUN $items = @('a', 'b'); foreach ($i in $items) { Write-Output "item $i" }
CMD ["pwsh"]
