"""Rules of the CloudBase purchase guide (云开发 CloudBase 购买指南)."""
