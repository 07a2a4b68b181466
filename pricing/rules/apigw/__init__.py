"""Rules of the API Gateway purchase guide (API 网关 购买指南)."""
